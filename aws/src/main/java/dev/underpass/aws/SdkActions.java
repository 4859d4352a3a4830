package dev.underpass.aws;

/**
 * Whether a service has an action at all, judged by its SDK model having a request class for it. An action the
 * service has but underpass does not serve gets a different answer from one that does not exist, in every protocol,
 * and this is the one test all of them share.
 */
public final class SdkActions {
    private SdkActions() {}

    /**
     * Whether {@code action} (a PascalCase name, as the SDK spells its classes) has a request class next to
     * {@code anyRequest}, a class of the service's SDK model package. A name that is not one word of letters and
     * digits never does.
     */
    public static boolean exists(Class<?> anyRequest, String action) {
        if (action == null || !action.matches("[A-Z][A-Za-z0-9]*")) {
            return false;
        }
        try {
            Class.forName(anyRequest.getPackageName() + "." + action + "Request", false, anyRequest.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
