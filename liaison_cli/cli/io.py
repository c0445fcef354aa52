"""Placeholder: filled in by its issue."""

from __future__ import annotations

import typer

import_app = typer.Typer()
export_app = typer.Typer()
