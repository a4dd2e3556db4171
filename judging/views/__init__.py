"""Views of the judging app, one module per audience or area."""
