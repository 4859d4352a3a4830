package dev.underpass.dataplane.service;

/** One action on one resource that the policies on a request's path must allow. */
public record ActionCheck(String action, String resource) {}
