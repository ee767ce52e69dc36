package com.datarsync.process.infra;

import java.util.function.Function;

/**
 * {@code zhipu}: Zhipu AI's embeddings API ({@code POST https://open.bigmodel.cn/api/paas/v4/embeddings},
 * models such as {@code embedding-3} with {@code dimensions} 256/512/1024/2048). It follows
 * OpenAI's request and answer shapes ({@code data[].index/embedding}, {@code usage.total_tokens},
 * errors as {@code {"error": {"code", "message"}}}) and takes at most 64 texts per request.
 *
 * <p>Options as for {@code openai}; {@code baseUrl} defaults to Zhipu's endpoint and
 * {@code maxBatch} to 64, its limit.
 */
public final class ZhipuVectorizers extends OpenAiCompatibleVectorizers {

    private static final Dialect ZHIPU = new Dialect("zhipu", "https://open.bigmodel.cn/api/paas/v4", 64, false);

    public ZhipuVectorizers() {
        this(System::getenv, Thread::sleep);
    }

    /** For tests: the environment and the clock the back-off sleeps on. */
    public ZhipuVectorizers(Function<String, String> environment, Sleeper sleeper) {
        super(ZHIPU, environment, sleeper);
    }
}
