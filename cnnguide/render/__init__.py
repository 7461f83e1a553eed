"""Tables (and later diagrams) from neutral model views, in Korean or English.

Nothing here imports a framework: rendering only reads :class:`~cnnguide.inspect.ModelView`.
"""
