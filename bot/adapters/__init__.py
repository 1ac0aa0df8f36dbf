"""Adapters behind the domain ports: price files, Yahoo, the NYSE calendar, Slack."""
