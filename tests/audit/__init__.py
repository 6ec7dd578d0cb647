# What the audit event of a registered URL adds to a page's query budget
# (audit.chain.append): savepoint, lock the chain head, insert the event,
# insert its mentee index, move the head, release. Constant, whatever the page shows.
AUDIT_EVENT_QUERIES = 6
