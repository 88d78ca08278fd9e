-- The trace an outbox row belongs to (ingest-service): the W3C trace context of the request or Kafka record that wrote
-- it, as header name -> value ({"traceparent": "00-...", "tracestate": "..."}), so the relay, a later thread, continues
-- that trace and puts it on the work order or cancellation it publishes. NULL for rows written before this column and
-- when tracing is off: their records start a new trace.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
