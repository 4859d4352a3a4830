package dev.underpass.aws.ec2;

/** Whether an action exists in EC2 at all, judged by the SDK model having a request class for it. */
final class Ec2Catalog {
    private Ec2Catalog() {}

    static boolean exists(String action) {
        if (action.isEmpty() || !Character.isUpperCase(action.charAt(0))) {
            return false;
        }
        for (int i = 0; i < action.length(); i++) {
            if (!Character.isLetterOrDigit(action.charAt(i))) {
                return false;
            }
        }
        try {
            Class.forName("software.amazon.awssdk.services.ec2.model." + action + "Request", false,
                    Ec2Catalog.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
