"""Desks, roles and review chains (issue 12): who signs what, at which stage, and the record.

models: Desk, DeskMembership, Chain, Stage, ChainChoice, Signoff. rules: every "who may".
chains: which chain an item follows and what an edit does to its sign-offs. presets: the
shipped chains. The core's workflow (newsroom.workflow) asks rules and moves the stage.
"""
