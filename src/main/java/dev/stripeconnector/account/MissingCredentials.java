package dev.stripeconnector.account;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.Problem;
import java.util.ArrayList;
import java.util.List;

/** Neither the account nor the console provides a client ID or secret key the installation needs. */
public class MissingCredentials extends DomainException {

    private final List<Problem.FieldError> missing;

    private MissingCredentials(List<Problem.FieldError> missing) {
        super(String.join("; ", missing.stream().map(Problem.FieldError::message).toList()));
        this.missing = List.copyOf(missing);
    }

    /** Throws naming every value that neither the account nor the console provides ({@code missing}, as the view names them). */
    public static void requireNone(List<String> missing) {
        if (!missing.isEmpty()) {
            throw of(missing);
        }
    }

    /** The failure naming the values in {@code missing} (not empty). */
    public static MissingCredentials of(List<String> missing) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String field : missing) {
            errors.add(new Problem.FieldError(field, field + " is required because the console setup leaves it empty:"
                    + " the account supplies it through its install link"));
        }
        return new MissingCredentials(errors);
    }

    @Override
    public Failure failure() {
        return Failure.MISSING_CREDENTIALS;
    }

    @Override
    public List<Problem.FieldError> errors() {
        return missing;
    }

    @Override
    public String toString() {
        return "MissingCredentials[" + Fields.detail(missing) + "]";
    }
}
