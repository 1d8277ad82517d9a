"""The situation tool: answers in (model.py), rules applied (assess.py), summary out (views and templates)."""
