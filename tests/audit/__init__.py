# What the audit event of a registered URL adds to a page's query budget
# (audit.chain.append, PostgreSQL): lock, move and read the chain head; insert the
# event and its mentee index and give the head its hash. Constant, whatever the page shows.
AUDIT_EVENT_QUERIES = 2
