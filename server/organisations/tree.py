"""The organisation tree, read whole: a city has a few hundred organisations at most, so the
tree is one small query and every walk over it is in memory."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from server.models import OFFICE, Organisation, Unit
from server.platform.extensions import db


@dataclass(frozen=True)
class Node:
    id: uuid.UUID
    kind: str
    name: str
    parent_id: uuid.UUID | None


@dataclass(frozen=True)
class Tree:
    nodes: dict[uuid.UUID, Node]

    @property
    def root_id(self) -> uuid.UUID | None:
        return next((node.id for node in self.nodes.values() if node.parent_id is None), None)

    def children(self, organisation_id: uuid.UUID) -> list[Node]:
        found = [node for node in self.nodes.values() if node.parent_id == organisation_id]
        return sorted(found, key=lambda node: node.name)

    def below(self, organisation_id: uuid.UUID) -> frozenset[uuid.UUID]:
        """The organisation and every one under it."""
        reached, frontier = {organisation_id}, [organisation_id]
        while frontier:
            parent = frontier.pop()
            for node in self.nodes.values():
                if node.parent_id == parent and node.id not in reached:
                    reached.add(node.id)
                    frontier.append(node.id)
        return frozenset(reached)

    def offices_below(self, organisation_id: uuid.UUID) -> frozenset[uuid.UUID]:
        return frozenset(
            node_id for node_id in self.below(organisation_id) if self.nodes[node_id].kind == OFFICE
        )

    def ancestors(self, organisation_id: uuid.UUID) -> list[Node]:
        """From the organisation's parent up to the city."""
        found, node = [], self.nodes.get(organisation_id)
        while node is not None and node.parent_id is not None:
            node = self.nodes.get(node.parent_id)
            if node is not None:
                found.append(node)
        return found

    def district_of(self, office_id: uuid.UUID) -> Node | None:
        return next((node for node in self.ancestors(office_id) if node.kind == "district"), None)


def load_tree() -> Tree:
    rows = db.session.execute(
        select(Organisation.id, Organisation.kind, Organisation.name, Organisation.parent_id)
    )
    return Tree({row.id: Node(row.id, row.kind, row.name, row.parent_id) for row in rows})


def is_root(organisation_id: uuid.UUID) -> bool:
    organisation = db.session.get(Organisation, organisation_id)
    return organisation is not None and organisation.parent_id is None


def units_of_offices(office_ids: frozenset[uuid.UUID]) -> frozenset[uuid.UUID]:
    if not office_ids:
        return frozenset()
    query = select(Unit.id).where(Unit.office_id.in_(sorted(office_ids)))
    return frozenset(db.session.scalars(query))


def only_office() -> uuid.UUID | None:
    """The office when a deployment has exactly one: where a unit or a person goes when none
    is named (a single institution never has to name its office)."""
    query = select(Organisation.id).where(Organisation.kind == OFFICE).limit(2)
    found = list(db.session.scalars(query))
    return found[0] if len(found) == 1 else None
