"""A bilingual demo institution with weeks of rounds, so a new user sees every screen working."""
