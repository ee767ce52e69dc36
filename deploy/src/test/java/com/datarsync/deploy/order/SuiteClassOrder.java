package com.datarsync.deploy.order;

import java.util.Comparator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * The suite's test classes in one fixed order on every machine: by {@link Order} (unannotated
 * classes between), then by simple class name. A CI failure can so be replayed in the same
 * order anywhere; the directory order of a clone, which failsafe would otherwise follow, differs
 * between machines. The order is printed once, before the first class runs.
 */
public class SuiteClassOrder implements ClassOrderer {

    static final Comparator<ClassDescriptor> ORDER = Comparator
            .comparingInt((ClassDescriptor d) -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
            .thenComparing(d -> d.getTestClass().getSimpleName())
            .thenComparing(d -> d.getTestClass().getName());

    /** JUnit may order the same classes more than once (discovery, then execution): print an order once. */
    private static volatile String printed;

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(ORDER);
        String order = context.getClassDescriptors().stream().map(d -> d.getTestClass().getSimpleName())
                .collect(Collectors.joining(", "));
        if (order.equals(printed)) {
            return;
        }
        printed = order;
        System.out.println("==> test class order (" + context.getClassDescriptors().size() + "): "
                + order);
    }
}
