"""The organisation levels: a city's bureau, its districts' bureaus, their offices (or
institutions) and the offices' units, with who reaches what (docs/organisations.md)."""
