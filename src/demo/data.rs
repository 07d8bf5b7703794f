//! Word lists for the synthetic school: names, villages, cities, notes. Fixtures, not data.

/// Common surnames, with the polyphonic ones (曾 zeng/ceng, 单 shan/dan, 解 xie/jie, 仇 qiu/chou,
/// 区 ou/qu) that name search must read both ways.
pub const SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "蔡", "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曾", "单",
    "解", "仇", "区", "曹", "彭", "肖", "田", "董", "潘", "袁", "蒋", "余", "叶",
];

pub const GIVEN_FIRST: &[&str] = &[
    "小", "子", "梓", "浩", "宇", "欣", "怡", "佳", "俊", "雨", "晨", "思", "博", "文", "嘉", "家",
    "明", "志", "晓", "诗", "一", "天", "梦", "紫", "春", "海", "金", "玉", "东", "建",
];

pub const GIVEN_SECOND: &[&str] = &[
    "珠", "涵", "杰", "轩", "琪", "婷", "豪", "萱", "然", "阳", "蕾", "彤", "睿", "鑫", "怡", "航",
    "磊", "丽", "明", "洋", "辉", "悦", "雪", "宁", "强", "霞", "凯", "倩", "琳", "剑",
];

pub const ADULT_GIVEN: &[&str] = &[
    "大山", "建国", "国强", "秀英", "桂兰", "玉梅", "建华", "志刚", "丽华", "春花", "海燕", "德明",
    "永福", "美玲", "金凤", "红梅", "卫东", "小平", "爱华", "淑珍", "家豪", "文静",
];

/// Given names for fathers, grandfathers, uncles.
pub const MALE_GIVEN: &[&str] = &[
    "大山", "建国", "国强", "建华", "志刚", "德明", "永福", "卫东", "小平", "家豪", "海涛",
];

/// Given names for mothers, grandmothers, aunts.
pub const FEMALE_GIVEN: &[&str] = &[
    "秀英", "桂兰", "玉梅", "丽华", "春花", "海燕", "美玲", "金凤", "红梅", "爱华", "淑珍", "文静",
];

pub const VILLAGES: &[&str] = &[
    "青山村",
    "石桥村",
    "枫林村",
    "上坪村",
    "下坪村",
    "柳溪村",
    "东岭村",
    "西岭村",
    "河口村",
    "竹园村",
    "桃源村",
    "梅岭村",
    "龙潭村",
    "新塘村",
    "白沙村",
    "后洋村",
];

pub const CITIES: &[&str] = &[
    "广州", "深圳", "东莞", "厦门", "泉州", "上海", "杭州", "宁波", "苏州", "温州", "福州", "北京",
    "佛山", "中山", "昆山", "晋江",
];

pub const WORKPLACES: &[&str] = &[
    "电子厂",
    "建筑工地",
    "服装厂",
    "餐馆",
    "物流公司",
    "家具厂",
    "鞋厂",
    "汽修店",
    "超市",
    "装修队",
    "纺织厂",
    "快递站",
];

pub const GRADES: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Substitute guardians: mostly grandparents, as in the source documents.
pub const GUARDIAN_RELATIONS: &[(&str, u32)] = &[
    ("祖母", 34),
    ("祖父", 22),
    ("外祖母", 18),
    ("外祖父", 10),
    ("叔叔", 5),
    ("姑姑", 4),
    ("舅舅", 3),
    ("姨妈", 4),
];

pub const TALK_NOTES: &[&str] = &[
    "期中考试后情绪低落, 已鼓励",
    "想念父母, 约定周末视频",
    "学习积极性提高, 作业按时完成",
    "与同学发生矛盾, 已调解",
    "谈到暑假想去父母打工的城市",
    "睡眠不好, 提醒按时作息",
    "数学成绩进步, 表扬",
    "不愿多说, 下次再谈",
];

pub const CALL_NOTES: &[&str] = &[
    "与父亲视频, 约定每周日通话",
    "与母亲通话, 说了学校的事",
    "给父母打电话报平安",
    "父亲询问期中成绩",
    "母亲答应春节回家",
];

pub const LETTER_NOTES: &[&str] = &["给妈妈写信, 讲了运动会", "给爸爸写信, 说想他了"];

/// `{g}` stands for how the child calls the guardian (奶奶, 外公, 叔叔 ...).
pub const GUARDIAN_NOTES: &[&str] = &[
    "{g}反映作业无人辅导",
    "{g}身体不好, 已联系村委关注",
    "{g}反映孩子放学后玩手机",
    "电话沟通孩子近期表现, {g}表示配合",
    "{g}询问寄宿费用补助",
];

pub const VISIT_NOTES: &[&str] = &[
    "家访: 居住条件一般, 奶奶年事已高",
    "家访: 学习桌已安排, 监护人配合",
    "家访: 了解父母务工去向与联系方式",
    "家访: 与监护人交流安全教育",
    "家访: 孩子在家帮忙做家务, 表现懂事",
];

pub const SCHOOL_VISIT_NOTES: &[&str] = &["监护人来校了解成绩", "监护人来校参加座谈会"];

pub const COUNSELING_NOTES: &[&str] = &[
    "情绪疏导, 跟踪观察",
    "焦虑情绪, 约定下周再谈",
    "人际关系困扰, 沙盘游戏",
];

pub const ACTIVITY_NOTES: &[&str] = &[
    "留守儿童之家读书活动",
    "手拉手好朋友结对活动",
    "集体生日会",
    "趣味运动会",
    "美化社区活动",
    "亲情热线通话日",
];

pub const TRAINING_NOTES: &[&str] = &["监护人家庭教育培训班", "春节家长会"];

pub const ASSISTANCE_NOTES: &[&str] = &["发放学习用品", "两免一补资助", "济难救助金", "冬衣捐赠"];

pub const AWARD_NOTES: &[&str] = &["自强少年", "三好学生", "优秀留守儿童", "进步之星"];

pub const INCIDENT_NOTES: &[&str] = &[
    "感冒发烧, 已通知监护人",
    "课间摔伤, 已处理",
    "与同学打架, 已教育",
];

pub const NOTE_NOTES: &[&str] = &["更新父亲电话", "监护人变更为外婆", "申请寄宿"];

pub const BIRTHDAY_NOTES: &[&str] = &["生日祝福: 全班送上贺卡", "生日祝福: 班级生日会"];
