"""Letters a reader can send (DESIGN "Letters"): the answers each kind needs (model.py), the sourced texts they are
made of (texts.py, from guides/data/letters.yaml), the letter itself (compose.py) and the form (forms.py).

Pure, like the rest of the situation core: no Flask, Babel, templates or content; dates and amounts are formatted
by the callables the caller passes, and today's date comes in as an argument.
"""
