package dev.underpass.aws.ec2;

import dev.underpass.aws.QueryApi;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.Ec2Request;
import software.amazon.awssdk.services.ec2.model.Ec2Response;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * What a handler family sees of the EC2 API: where it registers its operations, and the server's settings.
 * {@link Ec2Api} implements it and creates the handlers; the handlers know only this, so the arrows between the
 * dispatcher and the handler families point one way.
 */
interface Ec2Registry {

    Ec2Api.Settings settings();

    <A extends Ec2Request, B extends Ec2Response> void read(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Read<A, B> handler);

    <A extends Ec2Request, B extends Ec2Response> void write(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Write<A, B> handler);
}
