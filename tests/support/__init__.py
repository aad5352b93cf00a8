"""Test helpers shared across areas (e.g. the scripted OpenAI-compatible server)."""
