package io.pvemcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Declares the service properties of a {@link Resource} component. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ResourceService {

    /** Prefix of the generated property names, see {@link Resource}. */
    String PREFIX_ = "pvemcp.resource.";

    /** @return the URI or URI template */
    String uri();

    /** @return a short name */
    String name();

    /** @return a human-readable title */
    String title() default "";

    /** @return what the resource holds */
    String description() default "";

    /** @return the MIME type of the contents */
    String mimeType() default "application/json";

    /** @return the scope a reader needs */
    String scope() default Scopes.READ;
}
