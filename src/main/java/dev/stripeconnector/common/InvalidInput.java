package dev.stripeconnector.common;

import java.util.List;

/** A request whose fields break the contract; the caller learns every offending field at once. */
public class InvalidInput extends DomainException {

    private final List<Problem.FieldError> errors;

    public InvalidInput(List<Problem.FieldError> errors) {
        super(Fields.detail(errors));
        this.errors = List.copyOf(errors);
    }

    public static InvalidInput of(String field, String message) {
        return new InvalidInput(List.of(new Problem.FieldError(field, message)));
    }

    @Override
    public Failure failure() {
        return Failure.INVALID_INPUT;
    }

    @Override
    public List<Problem.FieldError> errors() {
        return errors;
    }
}
