"""Rasa server plugins that are not part of the model (stores); loaded by endpoints.yml."""
