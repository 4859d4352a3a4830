package dev.underpass.store;

import dev.underpass.model.Resource;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether Jackson annotations apply to a record or one of its parts: {@link RecordDecoder} leaves every record that
 * Jackson might read other than by its canonical constructor and component names to Jackson.
 */
final class JacksonAnnotations {
    private JacksonAnnotations() {}

    /**
     * Whether Jackson would treat the record other than by its canonical constructor and component names: any of
     * its Jackson annotations (on the type, a constructor, a method, a field, a component) may change that.
     */
    static boolean on(Class<?> type) {
        if (on((AnnotatedElement) type) || inheritsJacksonAnnotation(type)) {
            return true;
        }
        Set<String> accessors = new HashSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            accessors.add(c.getName());
        }
        List<AnnotatedElement> members = new ArrayList<>();
        members.addAll(List.of(type.getDeclaredConstructors()));
        members.addAll(List.of(type.getDeclaredMethods()));
        members.addAll(List.of(type.getDeclaredFields()));
        for (AnnotatedElement m : members) {
            if (on(m)) {
                return true;
            }
            if (m instanceof java.lang.reflect.Executable e) {
                for (Annotation[] parameter : e.getParameterAnnotations()) {
                    for (Annotation a : parameter) {
                        if (isJackson(a)) {
                            return true;
                        }
                    }
                }
            }
            if (m instanceof Method method && !Modifier.isStatic(method.getModifiers()) && isBeanAccessor(method)
                    && !accessors.contains(method.getName())
                    && (java.util.Collection.class.isAssignableFrom(method.getReturnType())
                            || Map.class.isAssignableFrom(method.getReturnType()))) {
                // A getter of a collection beside the components: Jackson may add a row's values to what it
                // returns (getters as setters). Other getters (RouteTable.isMain) only add a property on writing,
                // which reading skips as Jackson does.
                return true;
            }
        }
        return false;
    }

    /**
     * A record or enum stored through another value: exactly a {@code @JsonValue} accessor giving a plain record or a
     * string and a static {@code @JsonCreator(mode = DELEGATING)} taking it, and no other Jackson annotation (as
     * {@code RouteTable.Route}, stored in AWS's flat shape, or {@code VpcEndpoint.State}, stored by AWS's name). The
     * creator, or null when {@code type} is not stored that way.
     */
    static Method delegatingCreator(Class<?> type) {
        if (!(type.isRecord() || type.isEnum()) || on((AnnotatedElement) type) || inheritsJacksonAnnotation(type)) {
            return null;
        }
        Method value = null;
        Method creator = null;
        List<AnnotatedElement> others = new ArrayList<>(List.of(type.getDeclaredConstructors()));
        others.addAll(List.of(type.getDeclaredFields()));
        for (Method m : type.getDeclaredMethods()) {
            JsonValue v = m.getDeclaredAnnotation(JsonValue.class);
            JsonCreator c = m.getDeclaredAnnotation(JsonCreator.class);
            if (v != null && value == null && v.value() && m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers()) && m.getDeclaredAnnotations().length == 1) {
                value = m;
            } else if (c != null && creator == null && c.mode() == JsonCreator.Mode.DELEGATING
                    && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
                    && m.getReturnType() == type && m.getDeclaredAnnotations().length == 1
                    && m.getParameterAnnotations()[0].length == 0) {
                creator = m;
            } else {
                others.add(m);
            }
        }
        if (anyOn(others)) {
            return null;
        }
        Class<?> stored = value == null ? null : value.getReturnType();
        if (value == null || creator == null || stored != creator.getParameterTypes()[0]
                || !(stored == String.class || stored.isRecord() && !on(stored))) {
            return null;
        }
        return creator;
    }

    /**
     * An enum written and read by one {@code @JsonValue} method giving a string (as the model's {@code AwsNamed}
     * enums are, by AWS's names: Jackson reads such an enum by that value too), and no other Jackson annotation. The
     * method, or null when {@code type} is not such an enum.
     */
    static Method enumValue(Class<?> type) {
        if (!type.isEnum() || on((AnnotatedElement) type) || inheritsJacksonAnnotation(type)) {
            return null;
        }
        Method value = null;
        List<AnnotatedElement> others = new ArrayList<>(List.of(type.getDeclaredConstructors()));
        others.addAll(List.of(type.getDeclaredFields()));
        for (Method m : type.getDeclaredMethods()) {
            JsonValue v = m.getDeclaredAnnotation(JsonValue.class);
            if (v != null && value == null && v.value() && m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == String.class
                    && m.getDeclaredAnnotations().length == 1) {
                value = m;
            } else {
                others.add(m);
            }
        }
        return anyOn(others) ? null : value;
    }

    private static boolean anyOn(List<AnnotatedElement> elements) {
        return elements.stream().anyMatch(JacksonAnnotations::on);
    }

    /**
     * Whether an interface of {@code type} (at any depth) carries a Jackson annotation, on itself or on a method:
     * Jackson applies those to the record too. {@link Resource}'s own type id is the one exception: this decoder
     * reads {@code @kind} itself.
     */
    private static boolean inheritsJacksonAnnotation(Class<?> type) {
        for (Class<?> i : type.getInterfaces()) {
            if (i != Resource.class && on((AnnotatedElement) i)) {
                return true;
            }
            for (Method m : i.getDeclaredMethods()) {
                if (on(m)) {
                    return true;
                }
            }
            if (inheritsJacksonAnnotation(i)) {
                return true;
            }
        }
        return false;
    }

    /** {@code getX()} or {@code isX()} without parameters: Jackson's bean naming would pick it up. */
    private static boolean isBeanAccessor(Method m) {
        if (m.getParameterCount() != 0 || m.isSynthetic() || m.isBridge()) {
            return false;
        }
        String n = m.getName();
        return n.length() > 3 && n.startsWith("get") && Character.isUpperCase(n.charAt(3))
                || n.length() > 2 && n.startsWith("is") && Character.isUpperCase(n.charAt(2));
    }

    static boolean on(AnnotatedElement e) {
        for (Annotation a : e.getDeclaredAnnotations()) {
            if (isJackson(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJackson(Annotation a) {
        return a.annotationType().getName().startsWith("com.fasterxml.jackson.");
    }
}
