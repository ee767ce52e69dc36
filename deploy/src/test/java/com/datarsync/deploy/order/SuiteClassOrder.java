package com.datarsync.deploy.order;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * The suite's test classes in one fixed order on every machine: by {@link Order} (unannotated
 * classes between), then by simple class name. A CI failure can so be replayed in the same
 * order anywhere; the directory order of a clone, which failsafe would otherwise follow, differs
 * between machines. {@link ClassTimingListener} prints the order before the first class runs.
 */
public class SuiteClassOrder implements ClassOrderer {

    static final Comparator<ClassDescriptor> ORDER = Comparator
            .comparingInt((ClassDescriptor d) -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
            .thenComparing(d -> d.getTestClass().getSimpleName())
            .thenComparing(d -> d.getTestClass().getName());

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(ORDER);
    }
}
