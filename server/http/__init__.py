"""The web face of Rounds: the endpoint decorator, the fields its schemas share, the API
blueprints, the PWA, health and OpenAPI."""
