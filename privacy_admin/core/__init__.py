"""The kernel: helpers every component shares, importing no app (only Django and the standard library).

calendar (open days, 年度), numbering, text cleaning, dates and 和暦, error collection, CSV rows, the
``Actor`` type, the access-scope protocol, the action-label registry, PDF rendering and the personal-data
inventory. ``tests/privacy_admin/test_components.py`` fails if a module here imports an app.
"""
