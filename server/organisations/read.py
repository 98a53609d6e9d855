"""The organisations one may see: those one reaches, with the bureaus above them named."""

from __future__ import annotations

from sqlalchemy import select

from server.models import Organisation
from server.organisations.tree import load_tree
from server.people.access import Scope
from server.platform.extensions import db


def organisations_seen(scope: Scope) -> list[dict]:
    """Every organisation in reach, and the ones above it (`reached` False): a district's
    inspector sees the city's name over their district, never the other districts."""
    tree = load_tree()
    reached = set(tree.nodes) if scope.organisation_ids is None else set(scope.organisation_ids)
    above = {node.id for org in reached for node in tree.ancestors(org)} - reached
    rows = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(sorted(reached | above)))
    )
    depth = {node_id: len(tree.ancestors(node_id)) for node_id in reached | above}
    found = sorted(rows, key=lambda org: (depth[org.id], org.name))
    return [organisation_document(org, org.id in reached) for org in found]


def organisation_document(organisation: Organisation, reached: bool = True) -> dict:
    fields = ("id", "kind", "name", "parent_id", "address", "phone", "created_at")
    return {**{name: getattr(organisation, name) for name in fields}, "reached": reached}
