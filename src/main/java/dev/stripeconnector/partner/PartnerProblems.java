package dev.stripeconnector.partner;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** What the operator API refuses, as domain exceptions the problem mapper turns into statuses. */
final class PartnerProblems {

    private PartnerProblems() {
    }

    static final class NotFound extends DomainException {
        NotFound(String detail) {
            super(detail);
        }

        static NotFound partner(PartnerId id) {
            return new NotFound("No partner has the id '" + id + "'");
        }

        @Override
        public Failure failure() {
            return Failure.NOT_FOUND;
        }
    }

    static final class AlreadyExists extends DomainException {
        AlreadyExists(String detail) {
            super(detail);
        }

        @Override
        public Failure failure() {
            return Failure.ALREADY_EXISTS;
        }
    }

    static final class InvalidState extends DomainException {
        InvalidState(String detail) {
            super(detail);
        }

        @Override
        public Failure failure() {
            return Failure.INVALID_STATE;
        }
    }
}
