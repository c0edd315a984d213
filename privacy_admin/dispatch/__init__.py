"""Tasks sent after commit that survive a broker outage (architecture rule 3).

``services.dispatch_on_commit(task, *ids)`` sends an id-only task once the surrounding transaction
has committed. When the broker cannot take it, the committed change stands (the request still
answers the success it committed), the failure is logged with the task name, the ids and the
exception's class name only, and a ``PendingDispatch`` row remembers it; the beat sweeper
``tasks.redispatch_pending`` sends it again within minutes once the broker is back. Tasks sent this
way are idempotent: a notice already sent or a print already taken is left alone when it arrives
twice.
"""
