package dev.underpass.aws.org;

import dev.underpass.aws.QueryApi;
import java.util.function.Supplier;
import software.amazon.awssdk.services.organizations.model.OrganizationsRequest;
import software.amazon.awssdk.services.organizations.model.OrganizationsResponse;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * What an Organizations handler family sees of the API: where it registers its operations. {@link OrganizationsApi}
 * implements it and registers the families; they know only this, so the arrows between the dispatcher and the
 * handlers point one way.
 */
interface OrgRegistry {

    <A extends OrganizationsRequest, B extends OrganizationsResponse> void read(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Read<A, B> handler);

    <A extends OrganizationsRequest, B extends OrganizationsResponse> void write(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Write<A, B> handler);
}
