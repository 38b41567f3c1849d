package dev.tollgate.accounts;

/** The body of a successful register, login or refresh. */
public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn, UserView user) {
}
