"""Side effects of content changes, kept out of the models and the workflow."""
