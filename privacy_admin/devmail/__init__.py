"""The development outbox: mail that ``make run`` sends lands in files under ``var/outbox``.

Nothing of a message is printed or logged (architecture: the privacy invariant — "not mail in a log").
An administrator reads the outbox inside the product (``/system/outbox/``), and opening it is an
access-log event, because a reservation-ready e-mail names a patron and the items ready for them.
``make clean`` removes ``var/`` and with it the outbox. Production sends by SMTP instead; the system
checks in ``privacy_admin.checks`` refuse a non-delivering mail backend once DEBUG is off.
"""
