package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.org.OrganizationsApi;
import dev.underpass.aws.ram.RamApi;
import dev.underpass.aws.ssm.SsmApi;
import dev.underpass.aws.sts.StsApi;
import dev.underpass.store.Store;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The work done ahead of {@code serve} builds the same operation tables the server builds over a real store. */
class PrestartTest {
    @Test
    void warm_registersAsManyOperationsAsTheServersApis() {
        Store store = Store.inMemory();
        try {
            int server = new Ec2Api(store, Ec2Api.Settings.defaults()).actions().size()
                    + new StsApi(store).actions().size() + new SsmApi(store).actions().size()
                    + new OrganizationsApi(store).actions().size()
                    + new RamApi(store, Duration.ZERO).actions().size()
                    + new Elbv2Api(store, Elbv2Api.Settings.defaults()).actions().size();
            assertThat(server).isGreaterThan(200);
            assertThat(Prestart.warm()).isEqualTo(server);
        } finally {
            store.close();
        }
    }

    @Test
    void begin_thenAwait_completesWithoutError_andAwaitAgainReturns() throws Exception {
        Prestart.begin();
        Prestart.await();
        Prestart.await();
    }
}
