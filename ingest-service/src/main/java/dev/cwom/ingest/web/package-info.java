/** What every REST endpoint shares: the CWOM JSON mapper, problem+json errors, validation paths, pagination, trace ids. */
@NullMarked
package dev.cwom.ingest.web;

import org.jspecify.annotations.NullMarked;
