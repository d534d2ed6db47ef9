"""The campus app (/) and the staff console (/console): static pages over the JSON API."""
