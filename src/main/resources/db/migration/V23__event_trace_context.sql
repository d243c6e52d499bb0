-- The W3C trace context (traceparent) of the change that wrote an event, when tracing is on: its deliveries join
-- that change's trace and send it on to the receivers. Optional; a pod of the previous version neither reads nor
-- writes the column.
alter table connector_event add column trace_parent varchar(55);
