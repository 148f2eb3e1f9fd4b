"""lexpane: an offline, keyboard-first terminal explorer for comparative law."""
