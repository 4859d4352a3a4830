package dev.underpass.aws.elbv2;

import dev.underpass.aws.QueryApi;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Request;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Response;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * What a handler family sees of the ELBv2 API: where it registers its operations, and the server's settings.
 * {@link Elbv2Api} implements it and creates the handlers; the handlers know only this, so the arrows between the
 * dispatcher and the handler families point one way.
 */
interface Elbv2Registry {

    Elbv2Api.Settings settings();

    /** Where real target health comes from, if anything checks targets. */
    dev.underpass.model.elb.TargetHealthSource healthSource();

    <A extends ElasticLoadBalancingV2Request, B extends ElasticLoadBalancingV2Response> void read(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Read<A, B> handler);

    <A extends ElasticLoadBalancingV2Request, B extends ElasticLoadBalancingV2Response> void write(String action,
            Supplier<? extends SdkBuilder<?, A>> builder, QueryApi.Write<A, B> handler);
}
