package dev.stripeconnector.common;

import java.net.URI;
import java.util.List;

/**
 * A failure that the caller should see as a specific problem+json answer. Services throw it;
 * {@link ProblemMapper} renders it. Its message never carries a secret.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ApiProblem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public ApiProblem(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "bad-request", "Bad request", detail);
    }

    public static ApiProblem invalid(String detail, List<Problem.FieldError> errors) {
        return new ApiProblem(400, "validation", "Invalid request", detail, errors);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "conflict", "Conflict", detail);
    }

    public Problem toProblem() {
        return new Problem(ProblemMapper.type(slug), title, status, getMessage(), errors);
    }
}
