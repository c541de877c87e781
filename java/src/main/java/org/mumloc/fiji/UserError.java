package org.mumloc.fiji;

/** A mistake in the user's input: shown as a message (dialog or log line), never as a stack trace. */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
