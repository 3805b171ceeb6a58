package io.pvemcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Declares the service properties of a {@link Prompt} component. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PromptService {

    /** Prefix of the generated property names, see {@link Prompt}. */
    String PREFIX_ = "pvemcp.prompt.";

    /** @return the unique prompt name */
    String name();

    /** @return a human-readable title */
    String title() default "";

    /** @return what the prompt is for */
    String description();
}
