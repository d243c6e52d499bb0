-- Feed positions assigned after commit (events/FeedSequencer): an event is written without one, and the
-- sequencer numbers committed events under the advisory lock that event-writing transactions used to hold
-- until their commit, so they no longer commit one at a time. An expand: the column only becomes nullable
-- (pods of the previous version still fill it, under that lock, and the sequencer leaves their events alone).

alter table connector_event alter column feed_position drop not null;

-- What the sequencer looks for: events not numbered yet (a handful at any time).
create index connector_event_unnumbered_idx on connector_event (created_at) where feed_position is null;
