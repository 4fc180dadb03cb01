package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionExecutionListener;

/** The check joins every transaction manager once, whatever collection its listeners are in. */
final class CommitCheckTest {

  @Test
  void joinsTheListenersOfAManagerEvenWhenTheyAreImmutable() {
    DataSourceTransactionManager manager = new DataSourceTransactionManager();
    TransactionExecutionListener own = new TransactionExecutionListener() {};
    manager.setTransactionExecutionListeners(List.of(own));

    CommitCheck.addTo(manager);
    CommitCheck.addTo(manager);

    assertThat(manager.getTransactionExecutionListeners())
        .containsExactly(own, CommitCheck.INSTANCE);
  }
}
