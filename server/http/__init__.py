"""The web face of Rounds: the endpoint decorator, the API blueprints, the PWA, health, OpenAPI."""
