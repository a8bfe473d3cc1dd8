#!/usr/bin/env python3
"""Speak this set's texts into clips/ with the voices of set 11 (one script serves both):

    /work/main/.venv/bin/python tests/corpus_holdout12/make_clips.py
"""

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.argv = [sys.argv[0], HERE]
runpy.run_path(os.path.join(HERE, "..", "corpus_holdout11", "make_clips.py"), run_name="__main__")
