package dev.stripeconnector.events;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** What the events API refuses, as domain exceptions the problem mapper turns into statuses. */
final class EventsProblems {

    private EventsProblems() {
    }

    static final class SubscriptionNotFound extends DomainException {
        SubscriptionNotFound(String id) {
            super("No event subscription has the id '" + id + "'");
        }

        @Override
        public Failure failure() {
            return Failure.NOT_FOUND;
        }
    }

    static final class EventNotFound extends DomainException {
        EventNotFound(String id) {
            super("No event has the id '" + id + "' (events are kept for CONNECTOR_RETENTION_EVENTS)");
        }

        @Override
        public Failure failure() {
            return Failure.NOT_FOUND;
        }
    }

    static final class NotSubscribed extends DomainException {
        NotSubscribed(String detail) {
            super(detail);
        }

        @Override
        public Failure failure() {
            return Failure.NOT_SUBSCRIBED;
        }
    }
}
