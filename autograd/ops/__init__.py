"""Tensor ops by group: each module holds its ops' Op classes, one instance per op.

``elementwise`` makes the arithmetic operators and the functions of one input from the
rules of :mod:`autograd.rules`; the other groups write their own VJPs, each once.
"""
