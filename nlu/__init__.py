"""Question understanding that is trained, not hand-ruled: intents from exemplars, with a confidence."""

from nlu.model import IntentGuess, IntentWeights, load_or_train

__all__ = ["IntentGuess", "IntentWeights", "load_or_train"]
