"""Houqin custom actions: read slots, call the backend for the student, phrase the answer."""
