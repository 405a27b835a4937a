"""Classification rules, one module per rule family."""
