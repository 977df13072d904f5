"""Generators for the project's textures and models (deterministic, seeded)."""
