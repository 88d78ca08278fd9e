/**
 * Request hygiene shared by every HTTP service: bounded bodies, malformed requests and URLs answered as
 * {@code application/problem+json} instead of a servlet container's HTML page or a 500.
 */
@NullMarked
package dev.cwom.service.web;

import org.jspecify.annotations.NullMarked;
