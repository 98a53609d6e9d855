"""The bureau's evaluation of an office (考核评价表): the table, what the data decides, the three
columns entered by the office, its district and the city (docs/evaluation.md)."""
